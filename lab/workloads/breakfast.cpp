// breakfast: asyncio's coffee-and-bagel demo (docs/examples/breakfast.cpp) for --guests guests,
// with short durations. Each guest's breakfast gathers three jobs: brewing coffee (a sleep of
// --coffee-ms), toasting a bagel (a sleep of --bagel-ms) and squeezing orange juice by hand (CPU
// work: fib(--juice) by plain recursion, which never suspends). The guests are served at once.
//
// Waiting holds no thread, so on one thread every kettle and toaster runs while juice is being
// squeezed (concurrency); the squeezing itself only speeds up with more threads (parallelism).
// The serial version makes one breakfast after the other, sleeping for real. The result is the
// number of guests served the right breakfast.
#include <weft/gather.hpp>
#include <weft/sleep.hpp>

#include <chrono>
#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "cpu_work.hpp"
#include "workloads.hpp"

namespace weft::lab::workloads {
namespace {

using std::chrono::milliseconds;

struct menu {
    std::int64_t guests;
    milliseconds coffee;
    milliseconds bagel;
    int juice;
    std::int64_t juice_answer;  // fib(juice): how a guest knows the juice is right
};

weft::task<std::string> brew_coffee(milliseconds d) {
    co_await weft::sleep_for(d);  // the kettle boils; this worker squeezes juice meanwhile
    co_return "coffee";
}

weft::task<std::string> toast_bagel(milliseconds d) {
    co_await weft::sleep_for(d);
    co_return "bagel";
}

weft::task<std::int64_t> squeeze_juice(int n) { co_return plain_fib(n); }

weft::task<std::int64_t> serve_guest(menu m) {
    auto [coffee, bagel, juice] =
        co_await weft::gather(brew_coffee(m.coffee), toast_bagel(m.bagel), squeeze_juice(m.juice));
    co_return coffee == "coffee" && bagel == "bagel" && juice == m.juice_answer ? 1 : 0;
}

weft::task<std::int64_t> breakfast_weft(menu m) {
    std::vector<weft::task<std::int64_t>> guests;
    guests.reserve(static_cast<std::size_t>(m.guests));
    for (std::int64_t g = 0; g < m.guests; ++g) guests.push_back(serve_guest(m));
    const std::vector<std::int64_t> served = co_await weft::gather(std::move(guests));
    co_return std::accumulate(served.begin(), served.end(), std::int64_t{0});
}

// One thing after another: the kettle, then the toaster, then the juice, guest by guest.
std::int64_t breakfast_serial(menu m) {
    std::int64_t served = 0;
    for (std::int64_t g = 0; g < m.guests; ++g) {
        std::this_thread::sleep_for(m.coffee);
        const std::string coffee = "coffee";
        std::this_thread::sleep_for(m.bagel);
        const std::string bagel = "bagel";
        const std::int64_t juice = plain_fib(m.juice);
        served += coffee == "coffee" && bagel == "bagel" && juice == m.juice_answer ? 1 : 0;
    }
    return served;
}

class breakfast_instance final : public workload_instance {
public:
    explicit breakfast_instance(const workload_sizes& s)
        : menu_{s.get("guests"), milliseconds(s.get("coffee-ms")), milliseconds(s.get("bagel-ms")),
                static_cast<int>(s.get("juice")), fib_by_iteration(static_cast<int>(s.get("juice")))} {}

    std::int64_t expected() override { return menu_.guests; }
    weft::task<std::int64_t> run_weft() override { return breakfast_weft(menu_); }
    std::int64_t run_serial() override { return breakfast_serial(menu_); }
    std::int64_t run_tbb() override { throw std::logic_error("breakfast has no oneTBB version"); }

private:
    menu menu_;
};

}  // namespace

workload breakfast() {
    return workload{
        .name = "breakfast",
        .description = "asyncio's coffee and bagel, plus hand-squeezed juice (CPU), for several guests at once",
        .flags = {{"guests", 4, 1, 100'000, "breakfasts made at the same time"},
                  {"coffee-ms", 40, 0, 60'000, "brewing a coffee sleeps this long, in milliseconds"},
                  {"bagel-ms", 30, 0, 60'000, "toasting a bagel sleeps this long, in milliseconds"},
                  {"juice", 34, 0, 40, "squeezing a juice computes fib(juice) by plain recursion"}},
        .no_serial = {},
        .no_tbb =
            "skipped: brewing and toasting sleep, and a oneTBB task that sleeps blocks its worker "
            "thread (oneTBB has no timers), so there is no idiomatic oneTBB version",
        .check_sizes = nullptr,
        .make = [](const workload_sizes& s) -> std::unique_ptr<workload_instance> {
            return std::make_unique<breakfast_instance>(s);
        },
    };
}

}  // namespace weft::lab::workloads
