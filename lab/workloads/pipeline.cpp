// pipeline: a chain of stages connected by bounded weft::channel<T>s. A producer sends the
// numbers 1..--items; each of --stages stages has --workers tasks that receive a value, do
// --work rounds of SplitMix64 mixing on it (cpu_work.hpp) and send it on; a consumer adds up what
// comes out. Each stage closes its output once all its workers are done, so the end of the input
// flows down the chain. The sum does not depend on the order in which values pass a stage, so
// the serial loop's sum checks it. Parallelism comes from the stages and workers running at the
// same time; the cost per value is a channel hand-off per stage.
//
// The oneTBB version is tbb::parallel_pipeline: a serial input filter, one parallel filter per
// stage (oneTBB decides how many run at once; --workers does not apply), a serial output filter,
// and --capacity tokens in flight.
#include <oneapi/tbb/parallel_pipeline.h>

#include <weft/channel.hpp>
#include <weft/gather.hpp>

#include <vector>

#include "cpu_work.hpp"
#include "workloads.hpp"

namespace weft::lab::workloads {
namespace {

using value_channel = weft::channel<std::uint64_t>;

struct pipeline_sizes {
    std::int64_t items;
    std::int64_t stages;
    std::int64_t workers;
    std::int64_t work;
    std::int64_t capacity;
};

// Every part of the pipeline returns a number so that one vector gather can run them all; only
// the consumer's (the sum) is used.
weft::task<std::uint64_t> produce(value_channel out, std::int64_t items) {
    for (std::int64_t i = 1; i <= items; ++i) co_await out.send(static_cast<std::uint64_t>(i));
    out.close();
    co_return 0;
}

weft::task<> transform(value_channel in, value_channel out, std::int64_t work) {
    while (std::optional<std::uint64_t> v = co_await in.recv()) co_await out.send(mix_rounds(*v, work));
}

weft::task<std::uint64_t> stage(value_channel in, value_channel out, std::int64_t workers, std::int64_t work) {
    std::vector<weft::task<>> crew;
    crew.reserve(static_cast<std::size_t>(workers));
    for (std::int64_t w = 0; w < workers; ++w) crew.push_back(transform(in, out, work));
    co_await weft::gather(std::move(crew));
    out.close();
    co_return 0;
}

weft::task<std::uint64_t> consume(value_channel in) {
    std::uint64_t sum = 0;
    while (std::optional<std::uint64_t> v = co_await in.recv()) sum += *v;
    co_return sum;
}

weft::task<std::int64_t> pipeline_weft(pipeline_sizes s) {
    std::vector<value_channel> links;
    for (std::int64_t i = 0; i <= s.stages; ++i) links.emplace_back(static_cast<std::size_t>(s.capacity));
    std::vector<weft::task<std::uint64_t>> parts;
    parts.push_back(produce(links.front(), s.items));
    for (std::size_t i = 0; i < static_cast<std::size_t>(s.stages); ++i)
        parts.push_back(stage(links[i], links[i + 1], s.workers, s.work));
    parts.push_back(consume(links.back()));
    const std::vector<std::uint64_t> results = co_await weft::gather(std::move(parts));
    co_return static_cast<std::int64_t>(results.back());
}

std::int64_t pipeline_serial(pipeline_sizes s) {
    std::uint64_t sum = 0;
    for (std::int64_t i = 1; i <= s.items; ++i) {
        std::uint64_t v = static_cast<std::uint64_t>(i);
        for (std::int64_t k = 0; k < s.stages; ++k) v = mix_rounds(v, s.work);
        sum += v;
    }
    return static_cast<std::int64_t>(sum);
}

std::int64_t pipeline_tbb(pipeline_sizes s) {
    std::uint64_t next = 1;
    std::uint64_t sum = 0;
    const auto last = static_cast<std::uint64_t>(s.items);
    tbb::filter<void, std::uint64_t> chain = tbb::make_filter<void, std::uint64_t>(
        tbb::filter_mode::serial_in_order, [&next, last](tbb::flow_control& fc) -> std::uint64_t {
            if (next > last) {
                fc.stop();
                return 0;
            }
            return next++;
        });
    for (std::int64_t k = 0; k < s.stages; ++k)
        chain =
            chain & tbb::make_filter<std::uint64_t, std::uint64_t>(
                        tbb::filter_mode::parallel, [work = s.work](std::uint64_t v) { return mix_rounds(v, work); });
    tbb::parallel_pipeline(static_cast<std::size_t>(s.capacity),
                           chain & tbb::make_filter<std::uint64_t, void>(tbb::filter_mode::serial_out_of_order,
                                                                         [&sum](std::uint64_t v) { sum += v; }));
    return static_cast<std::int64_t>(sum);
}

class pipeline_instance final : public workload_instance {
public:
    explicit pipeline_instance(const workload_sizes& s)
        : sizes_{s.get("items"), s.get("stages"), s.get("workers"), s.get("work"), s.get("capacity")} {}

    std::int64_t expected() override { return pipeline_serial(sizes_); }
    weft::task<std::int64_t> run_weft() override { return pipeline_weft(sizes_); }
    std::int64_t run_serial() override { return pipeline_serial(sizes_); }
    std::int64_t run_tbb() override { return pipeline_tbb(sizes_); }

private:
    pipeline_sizes sizes_;
};

}  // namespace

workload pipeline() {
    return workload{
        .name = "pipeline",
        .description = "producer -> stages of workers -> consumer, linked by weft::channel; checks the sum",
        .flags = {{"items", 200'000, 1, 1'000'000'000, "values sent through the pipeline"},
                  {"stages", 3, 1, 64, "transforming stages between producer and consumer"},
                  {"workers", 2, 1, 1'024, "tasks per stage"},
                  {"work", 50, 0, 1'000'000, "SplitMix64 rounds per value per stage"},
                  {"capacity", 64, 1, 1'000'000, "buffer size of each channel (oneTBB: tokens in flight)"}},
        .no_serial = {},
        .no_tbb = {},
        .check_sizes = nullptr,
        .make = [](const workload_sizes& s) -> std::unique_ptr<workload_instance> {
            return std::make_unique<pipeline_instance>(s);
        },
    };
}

}  // namespace weft::lab::workloads
