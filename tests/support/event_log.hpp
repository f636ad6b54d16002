#pragma once
// event_log<Event>: a thread-safe record of what happened, in order, for tests that assert the
// order in which tasks ran (on one thread) or merely that every event happened (on many).
#include <mutex>
#include <utility>
#include <vector>

namespace weft_test {

template <class Event>
class event_log {
public:
    void add(Event e) {
        std::lock_guard lock(mutex_);
        events_.push_back(std::move(e));
    }
    std::vector<Event> events() {
        std::lock_guard lock(mutex_);
        return events_;
    }

private:
    std::mutex mutex_;
    std::vector<Event> events_;
};

}  // namespace weft_test
