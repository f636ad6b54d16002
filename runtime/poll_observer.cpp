#include "poll_observer.hpp"

#include "scheduler.hpp"

namespace weft::detail {

std::unique_ptr<poll_observer> poll_observer::create(const scheduler_config&, std::span<worker* const>) {
    return nullptr;
}

}  // namespace weft::detail
