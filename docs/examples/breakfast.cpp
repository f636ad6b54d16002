// breakfast: asyncio's coffee-and-bagel example, written with weft.
//
// Breakfast is made three ways -- one step after the other, with gather, with spawn -- first on
// one worker thread, then on N. A sleeping task holds no thread, so waiting for the kettle and
// the toaster at the same time brings breakfast from ~500 ms down to ~300 ms, even on one
// thread: that is concurrency. Then CPU-bound work, which never suspends: on one thread the
// jobs take turns, on N threads they run at the same time: that is parallelism.
//
// Build and run: scripts/demo   (or the example_breakfast target of the CMake build)
#include <weft/weft.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <initializer_list>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

// ---------------------------------------------------------------------------------------------
// The coroutines. Calling one creates a task and runs nothing yet; co_await runs it.

weft::task<std::string> brew_coffee() {
    co_await weft::sleep_for(300ms);  // the kettle boils; this worker runs other tasks meanwhile
    co_return "coffee";
}

weft::task<std::string> toast_bagel() {
    co_await weft::sleep_for(200ms);
    co_return "bagel";
}

// (a) One after the other: the toaster starts only once the coffee is ready. ~500 ms.
weft::task<std::string> sequential() {
    std::string coffee = co_await brew_coffee();
    std::string bagel = co_await toast_bagel();
    co_return coffee + " and " + bagel;
}

// (b) gather runs both at once and resumes when both are done. ~300 ms.
weft::task<std::string> with_gather() {
    auto [coffee, bagel] = co_await weft::gather(brew_coffee(), toast_bagel());
    co_return coffee + " and " + bagel;
}

// (c) spawn schedules each task now and returns a handle; the caller awaits the handles later.
// ~300 ms.
weft::task<std::string> with_spawn() {
    weft::join_handle<std::string> coffee = weft::spawn(brew_coffee());
    weft::join_handle<std::string> bagel = weft::spawn(toast_bagel());
    std::string c = co_await coffee;
    std::string b = co_await bagel;
    co_return c + " and " + b;
}

// ---------------------------------------------------------------------------------------------
// CPU-bound work: an ordinary recursive function. A task that calls it keeps its worker busy
// until it returns, because it never reaches a co_await.

constexpr int fib_n = 38;
constexpr int cpu_jobs = 4;

long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

struct job_result {
    long value;
    std::size_t worker;  // which worker thread ran the job
};

weft::task<job_result> crunch(int n) {
    const long value = fib(n);
    co_return job_result{value, weft::worker_index().value()};
}

// (d) gather of cpu_jobs x fib(fib_n). Returns how many different workers ran a job.
weft::task<std::size_t> crunch_all() {
    std::vector<weft::task<job_result>> jobs;
    for (int i = 0; i < cpu_jobs; ++i) jobs.push_back(crunch(fib_n));
    std::vector<job_result> results = co_await weft::gather(std::move(jobs));

    std::set<std::size_t> workers;
    for (const job_result& r : results) {
        if (r.value != 39'088'169) throw std::logic_error("fib(38) is 39088169");
        workers.insert(r.worker);
    }
    co_return workers.size();
}

// ---------------------------------------------------------------------------------------------
// Measuring: each run gets a fresh runtime with the given number of worker threads.

template <class T>
std::pair<T, long long> timed_run(weft::task<T> main, std::size_t threads) {
    const auto start = std::chrono::steady_clock::now();
    T result = weft::run(std::move(main), {.threads = threads});
    const auto elapsed = std::chrono::steady_clock::now() - start;
    return {std::move(result), std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()};
}

int main() {
    // N: every hardware thread, and at least 2 so that the second column differs from the first.
    const std::size_t n = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 2, weft::max_threads);
    const std::initializer_list<std::size_t> thread_counts = {1, n};
    bool ok = true;

    std::printf("brew_coffee sleeps 300 ms, toast_bagel sleeps 200 ms\n\n");
    std::printf("%-34s %12s %12s\n", "", "threads=1", ("threads=" + std::to_string(n)).c_str());

    const auto breakfast_row = [&](const char* label, weft::task<std::string> (*make_breakfast)()) {
        std::printf("%-34s", label);
        for (std::size_t threads : thread_counts) {
            auto [meal, ms] = timed_run(make_breakfast(), threads);
            ok = ok && meal == "coffee and bagel";
            std::printf(" %9lld ms", ms);
            std::fflush(stdout);
        }
        std::printf("\n");
    };
    breakfast_row("(a) sequential: await, await", sequential);
    breakfast_row("(b) gather(coffee, bagel)", with_gather);
    breakfast_row("(c) spawn both, await both", with_spawn);

    std::printf("\nCPU-bound: %d jobs of fib(%d), which never suspend\n\n", cpu_jobs, fib_n);
    std::printf("%-34s", "(d) gather of the jobs");
    std::vector<std::size_t> workers_used;
    for (std::size_t threads : thread_counts) {
        auto [workers, ms] = timed_run(crunch_all(), threads);
        workers_used.push_back(workers);
        std::printf(" %9lld ms", ms);
        std::fflush(stdout);
    }
    std::printf("\n%-34s", "    workers that ran a job");
    for (std::size_t w : workers_used) std::printf(" %12zu", w);

    std::printf(
        "\n\n(a)-(c): waiting holds no thread, so one thread overlaps the two waits (concurrency).\n"
        "(d): computing holds its thread; only more threads overlap it (parallelism).\n");
    return ok ? 0 : 1;
}
