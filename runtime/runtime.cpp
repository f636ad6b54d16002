// weft::run, weft::runtime and option resolution.
#include <weft/runtime.hpp>

#include <pthread.h>

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>

#include "task/block_on_waiter.hpp"
#include "observe/log.hpp"
#include "scheduler/scheduler.hpp"

namespace weft {
namespace {

void check_not_on_worker(const char* what) {
    if (detail::tls_worker != nullptr)
        throw std::logic_error(std::string(what) +
                               ": called on a weft worker thread; a nested runtime would block this worker "
                               "(co_await the task instead)");
}

std::size_t parse_weft_threads(const char* text) {
    const std::string value(text);
    const auto fail = [&] {
        return std::invalid_argument("WEFT_THREADS='" + value + "' is not a positive integer up to " +
                                     std::to_string(max_threads));
    };
    if (value.empty() || value.size() > 9) throw fail();
    std::size_t n = 0;
    for (char c : value) {
        if (c < '0' || c > '9') throw fail();
        n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    if (n == 0 || n > max_threads) throw fail();
    return n;
}

std::chrono::milliseconds checked_grace(const options& o) {
    if (o.shutdown_grace < std::chrono::milliseconds::zero())
        throw std::invalid_argument("weft::options::shutdown_grace=" + std::to_string(o.shutdown_grace.count()) +
                                    "ms is negative");
    return o.shutdown_grace;
}

// options::max_blocking_threads resolved: 0 is the default; above the limit is a mistake.
std::size_t checked_blocking_threads(const options& o) {
    if (o.max_blocking_threads > detail::blocking_threads_limit)
        throw std::invalid_argument("weft::options::max_blocking_threads=" + std::to_string(o.max_blocking_threads) +
                                    " is above the limit of " + std::to_string(detail::blocking_threads_limit));
    return o.max_blocking_threads == 0 ? default_max_blocking_threads : o.max_blocking_threads;
}

std::chrono::milliseconds checked_slow_poll(const options& o) {
    if (o.slow_poll_threshold < std::chrono::milliseconds::zero())
        throw std::invalid_argument("weft::options::slow_poll_threshold=" +
                                    std::to_string(o.slow_poll_threshold.count()) + "ms is negative");
    return o.slow_poll_threshold;
}

std::string checked_trace_path(const options& o) {
    if (!o.trace_path.empty()) return o.trace_path;
    if (const char* env = std::getenv("WEFT_TRACE")) return env;
    return {};
}

detail::scheduler_config make_config(const options& o, bool caller_is_worker0) {
    if (static_cast<std::size_t>(o.policy) > static_cast<std::size_t>(scheduling_policy::tbb))
        throw std::invalid_argument("weft::options::policy=" + std::to_string(static_cast<int>(o.policy)) +
                                    " is not a weft::scheduling_policy");
    detail::scheduler_config c;
    c.threads = resolve_threads(o);
    c.caller_is_worker0 = caller_is_worker0;
    c.shutdown_grace = checked_grace(o);
    c.max_blocking_threads = checked_blocking_threads(o);
    c.policy = o.policy;
    c.pin_workers = o.pin_workers;
    c.trace_path = checked_trace_path(o);
    c.level = o.log_level ? *o.log_level : detail::log_level_from_env();
    c.slow_poll_threshold = checked_slow_poll(o);
    return c;
}

}  // namespace

std::size_t resolve_threads(const options& o) {
    if (o.threads > max_threads)
        throw std::invalid_argument("weft::options::threads=" + std::to_string(o.threads) +
                                    " is above weft::max_threads (" + std::to_string(max_threads) + ")");
    if (o.threads != 0) return o.threads;
    if (const char* env = std::getenv("WEFT_THREADS")) return parse_weft_threads(env);
    const unsigned hw = std::thread::hardware_concurrency();
    return hw == 0 ? 1 : std::min<std::size_t>(hw, max_threads);
}

namespace detail {

void run_main(const options& opts, std::coroutine_handle<> frame, promise_base& promise) {
    check_not_on_worker("weft::run");
    // The calling thread becomes worker 0 (and is named so while it is); give it its name back.
    char name[16] = {};
    pthread_getname_np(pthread_self(), name, sizeof name);
    struct restore_name {
        const char* name;
        ~restore_name() { pthread_setname_np(pthread_self(), name); }
    } restore{name};
    scheduler s(make_config(opts, /*caller_is_worker0=*/true));
    root_state root(root_state::kind::main, s);
    root.frame_ = frame;
    root.promise_ = &promise;
    promise.cancel_ = &root.node;
    promise.completion_ = completion::root;
    promise.target_.root = &root;
    s.inject(frame);
    s.run_worker(0);
    s.shutdown();
}

void block_on(scheduler& s, std::coroutine_handle<> frame, promise_base& promise) {
    check_not_on_worker("weft::runtime::block_on");
    block_on_waiter waiter;
    root_state root(root_state::kind::blocking, s);
    root.frame_ = frame;
    root.promise_ = &promise;
    root.waiter_ = &waiter;
    promise.cancel_ = &root.node;
    promise.completion_ = completion::root;
    promise.target_.root = &root;
    s.inject(frame);
    waiter.wait();
}

}  // namespace detail

runtime::runtime(options opts) : scheduler_(new detail::scheduler(make_config(opts, /*caller_is_worker0=*/false))) {}

runtime::~runtime() { delete scheduler_; }

std::size_t runtime::threads() const noexcept { return scheduler_->threads(); }

runtime_stats runtime::stats() const { return scheduler_->stats(); }

runtime_stats current_stats() {
    detail::worker_context* w = detail::tls_worker;
    if (w == nullptr) throw std::logic_error("weft::current_stats: called off a weft runtime (use weft::runtime::stats)");
    return w->sched->stats();
}

}  // namespace weft
