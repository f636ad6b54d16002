// Task names: the process-wide table of interned names, and labels as text (task_label.hpp).
//
// Names are interned because a trace is written at shutdown and a slow-poll log line may be
// written after the task finished: a name must outlive every task that carried it, and copying
// it into each root_state would cost memory on every spawn. The table only grows; programs name
// kinds of tasks ("fetch", "worker"), a handful of distinct strings, so it stays small. It is
// heap-allocated and never destroyed, so a static destructor that spawns or logs late still
// finds it.
//
// A loop spawning tasks of one name would take the table's lock on every spawn; each thread
// remembers the name it interned last and returns it without the lock when the next name is
// the same.
#include "task/task_label.hpp"

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>

namespace weft::detail {
namespace {

struct name_table {
    std::mutex lock;
    // Node-based: an element's address never changes, so its c_str() may be handed out.
    std::unordered_set<std::string> names;
};

name_table& table() {
    static name_table* const instance = new name_table;
    return *instance;
}

// The string this thread interned last (an element of the table, so alive for good).
constinit thread_local const std::string* last_interned = nullptr;

}  // namespace

const char* intern_task_name(std::string_view name) {
    if (last_interned != nullptr && *last_interned == name) return last_interned->c_str();
    name_table& t = table();
    std::lock_guard guard(t.lock);
    last_interned = &*t.names.emplace(name).first;
    return last_interned->c_str();
}

std::string to_string(task_label label) {
    const std::string_view text = label.text == nullptr ? std::string_view("(unknown)") : label.text;
    if (label.line == 0) return std::string(text);
    const std::size_t slash = text.find_last_of("/\\");
    const std::string_view file = slash == std::string_view::npos ? text : text.substr(slash + 1);
    return std::string(file) + ":" + std::to_string(label.line);
}

}  // namespace weft::detail
