// The poll observers (design in poll_observer.hpp): one class per combination of what is
// observed, so the default -- slow polls only -- runs no trace code, not even its branches.
#include "observe/poll_observer.hpp"

#include <cstdint>
#include <optional>

#include "scheduler/scheduler.hpp"
#include "observe/slow_poll_monitor.hpp"
#include "task/task_label.hpp"
#include "observe/trace_recorder.hpp"

namespace weft::detail {
namespace {

template <bool Trace, bool Slow>
class observer final : public poll_observer {
public:
    observer(const scheduler_config& config, std::span<worker* const> workers) : poll_observer(Trace) {
        if constexpr (Trace) trace_.emplace(config.trace_path, workers.size());
        if constexpr (Slow) monitor_.emplace(config.slow_poll_threshold, workers.size());
    }

    void resume(worker& w, std::coroutine_handle<> h) override {
        // safety: h is suspended and ours until the resume; its root and label are read here,
        // and after the resume only the label (strings that live for good) and the root's address
        // as a number are used (task_label.hpp).
        if constexpr (Slow) monitor_->wake_if_asleep();
        root_state* root = root_of(h);
        const task_label label = label_of(root);
        [[maybe_unused]] poll_slot* slot = nullptr;
        if constexpr (Slow)  // the poll number is nonzero: the loop counted this poll already
            slot = &monitor_->begin_poll(w.index, w.counters.polled.read(), label);
        if constexpr (Trace) {
            const std::uintptr_t first_of = first_poll_of(root, h);
            const std::size_t depth = w.deque.size();
            const std::int64_t start = trace_->now();
            h.resume();
            trace_->record_poll(w.index, start, label, first_of, depth);
        } else {
            h.resume();
        }
        if constexpr (Slow) monitor_->end_poll(*slot);
    }

    void spawned(root_state& r) noexcept override {
        if constexpr (Trace) {
            scheduler& s = *r.sched;
            trace_->record_spawn(s.on_own_worker() ? tls_worker->index : trace_recorder::external, r);
        }
    }

    void finish() noexcept override {
        if constexpr (Slow) monitor_->stop();
        if constexpr (Trace) trace_->write();
    }

private:
    // The flow key of `root` if this is its first poll (the resume of a spawned root's own
    // frame, not seen before), otherwise 0. Marks it seen.
    static std::uintptr_t first_poll_of(root_state* root, std::coroutine_handle<> h) noexcept {
        if (root == nullptr || root->kind_ != root_state::kind::spawned || root->traced_ ||
            root->frame_.address() != h.address())
            return 0;
        // safety: only the worker polling the root's frame writes `traced_`; successive polls
        // of a frame are ordered by the queues that hand it from worker to worker.
        root->traced_ = true;
        return reinterpret_cast<std::uintptr_t>(root);
    }

    std::optional<trace_recorder> trace_;
    std::optional<slow_poll_monitor> monitor_;
};

}  // namespace

std::unique_ptr<poll_observer> poll_observer::create(const scheduler_config& config, std::span<worker* const> workers) {
    const bool trace = !config.trace_path.empty();
    const bool slow = config.slow_poll_threshold.count() > 0;
    if (trace && slow) return std::make_unique<observer<true, true>>(config, workers);
    if (trace) return std::make_unique<observer<true, false>>(config, workers);
    if (slow) return std::make_unique<observer<false, true>>(config, workers);
    return nullptr;
}

}  // namespace weft::detail
