#pragma once
// trace_recorder: what a runtime did, as a Chrome trace-event JSON file that opens in Perfetto
// (ui.perfetto.dev) and chrome://tracing.
//
// What the file shows:
//   - one thread track per worker, "weft-worker-i", and an "external" track for the threads
//     that spawn into the runtime from outside it;
//   - a complete slice ("ph":"X") per poll, named after the task (task_label.hpp);
//   - a flow arrow from each spawn -- inside the spawning poll's slice, or a short "spawn" slice
//     on the external track -- to the first slice of the spawned task, on whichever worker ran
//     it: an arrow between two tracks is a steal (or an injection);
//   - a counter track per worker, "weft-worker-i queue depth": its deque's size at the start of
//     each poll, recorded when it changed.
//
// Recording. Each worker appends to its own buffer, in memory only it writes while it runs: no
// lock, no shared write, and a clock read at each end of a poll. Spawns from outside threads go
// to the external buffer, under a lock (they already take the injection queue's). A record is
// 32 bytes (`trace_record`); labels are pointers to strings that live as long as the process,
// so nothing is copied. Buffers grow in chunks, so a short trace costs little, and stop at
// `trace_records_per_worker`: later records are counted, not kept, and the file's `otherData`
// and a warning say how many were dropped. The whole file is written once, by write(), at
// shutdown, after the workers were joined (which orders every buffer write before it).
//
// Flow ids. A spawn and its task's first poll are both keyed by the task's root_state address,
// which the poll has at hand (root_of) without any field added to root_state; the root's
// `traced_` byte marks that its first poll was seen. An address is reused once its root is
// freed, always after that root's first poll, so sorting the flow records by time and pairing
// each first poll with the latest spawn of its key gives every arrow its own id.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "task/task_label.hpp"

namespace weft::detail {

// Records one worker keeps: 2^18, 8 MiB of records and about 30 MB of JSON per worker. The
// Perfetto UI loads JSON traces up to about 1 GB and the legacy chrome://tracing viewer chokes
// well before that, so a 16-worker trace stays loadable.
inline constexpr std::size_t trace_records_per_worker = std::size_t{1} << 18;
// Records per allocation: 128 KiB at a time.
inline constexpr std::size_t trace_chunk_records = 4096;
// Length of the slice an outside thread's spawn gets on the external track (the arrow needs a
// slice to start from; the spawn itself is not timed).
inline constexpr std::int64_t external_spawn_slice_ns = 1000;

enum class trace_kind : std::uint8_t { slice, spawn, first_poll, queue_depth, external_spawn };

struct trace_record {
    std::int64_t ts;     // ns since the recorder was created
    std::int64_t value;  // slice: duration (ns); queue_depth: tasks; spawn, first_poll: flow key,
                         // replaced by the flow id (0: unmatched) before writing
    const char* label;   // the task's label (task_label.hpp)
    std::uint32_t line;
    trace_kind kind;
};
static_assert(sizeof(void*) != 8 || sizeof(trace_record) == 32, "a trace record is 32 bytes (see above)");

// Records in chunks, up to a limit. One writer at a time (its owner); read after it stopped.
class trace_buffer {
public:
    explicit trace_buffer(std::size_t limit) noexcept : limit_(limit) {}

    // Appends every record, or none -- counted as dropped -- past the limit or out of memory.
    void append(std::span<const trace_record> records) noexcept;
    std::size_t size() const noexcept { return size_; }
    std::uint64_t dropped() const noexcept { return dropped_; }
    trace_record& operator[](std::size_t i) noexcept {
        return chunks_[i / trace_chunk_records][i % trace_chunk_records];
    }
    const trace_record& operator[](std::size_t i) const noexcept {
        return chunks_[i / trace_chunk_records][i % trace_chunk_records];
    }

private:
    std::vector<std::unique_ptr<trace_record[]>> chunks_;
    std::size_t size_ = 0;
    std::size_t limit_;
    std::uint64_t dropped_ = 0;
};

class trace_recorder {
public:
    trace_recorder(std::string path, std::size_t workers);

    // Nanoseconds since the recorder was created (steady_clock).
    std::int64_t now() const noexcept;
    // Worker `index`'s thread, after a poll that started at `start` with `depth` tasks in the
    // worker's deque. `first_of` is the flow key of the root whose first poll this was, or 0.
    void record_poll(std::size_t index, std::int64_t start, task_label label, std::uintptr_t first_of,
                     std::size_t depth) noexcept;
    // Any thread: `r` was just spawned, by worker `index` of this runtime or, when `index` is
    // `external`, by a thread that is not one of its workers.
    // safety: call before `r` is scheduled; after that it may run, finish and be freed.
    void record_spawn(std::size_t index, const root_state& r) noexcept;
    // Writes the file (or logs why it could not). Once, after the workers were joined.
    void write() noexcept;

    static constexpr std::size_t external = static_cast<std::size_t>(-1);

private:
    struct alignas(64) worker_track {
        trace_buffer buffer{trace_records_per_worker};
        std::size_t last_depth = static_cast<std::size_t>(-1);
    };

    void pair_flows() noexcept;

    std::string path_;
    std::int64_t origin_;
    std::size_t workers_;
    std::unique_ptr<worker_track[]> tracks_;
    std::mutex external_lock_;  // guards external_ and external_end_
    trace_buffer external_{trace_records_per_worker};
    std::int64_t external_end_ = 0;
};

// Compiled in runtime/observe/trace_writer.cpp: writes `tracks` (one per worker, then the external
// one) as a Chrome trace-event JSON object to `path`. Returns an error message, empty on success.
std::string write_chrome_trace(const std::string& path, std::span<const trace_buffer* const> tracks);

}  // namespace weft::detail
