// weft::run, weft::runtime and option resolution.
#include <weft/runtime.hpp>

#include <pthread.h>

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>

#include "blocking_waiter.hpp"
#include "scheduler.hpp"

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
    scheduler s(resolve_threads(opts), /*caller_is_worker0=*/true, checked_grace(opts), checked_blocking_threads(opts));
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
    blocking_waiter waiter;
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

runtime::runtime(options opts)
    : scheduler_(new detail::scheduler(resolve_threads(opts), /*caller_is_worker0=*/false, checked_grace(opts),
                                       checked_blocking_threads(opts))) {}

runtime::~runtime() { delete scheduler_; }

std::size_t runtime::threads() const noexcept { return scheduler_->threads(); }

}  // namespace weft
