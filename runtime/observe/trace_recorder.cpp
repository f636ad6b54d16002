// Trace recording and flow pairing (design in trace_recorder.hpp; the JSON in trace_writer.cpp).
#include "observe/trace_recorder.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <new>
#include <unordered_map>
#include <utility>

#include "observe/log.hpp"

namespace weft::detail {
namespace {

std::int64_t steady_ns() noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

void trace_buffer::append(std::span<const trace_record> records) noexcept {
    if (size_ + records.size() > limit_) {
        dropped_ += records.size();
        return;
    }
    try {
        const std::size_t chunks_needed = (size_ + records.size() + trace_chunk_records - 1) / trace_chunk_records;
        while (chunks_.size() < chunks_needed)
            chunks_.push_back(std::make_unique_for_overwrite<trace_record[]>(trace_chunk_records));
    } catch (const std::bad_alloc&) {
        dropped_ += records.size();
        return;
    }
    for (const trace_record& r : records) (*this)[size_++] = r;
}

trace_recorder::trace_recorder(std::string path, std::size_t workers)
    : path_(std::move(path)), origin_(steady_ns()), workers_(workers),
      tracks_(std::make_unique<worker_track[]>(workers)) {}

std::int64_t trace_recorder::now() const noexcept { return steady_ns() - origin_; }

void trace_recorder::record_poll(std::size_t index, std::int64_t start, task_label label, std::uintptr_t first_of,
                                 std::size_t depth) noexcept {
    const std::int64_t end = now();
    worker_track& t = tracks_[index];
    std::array<trace_record, 3> records;
    std::size_t n = 0;
    const bool depth_changed = depth != t.last_depth;
    if (depth_changed)
        records[n++] = {start, static_cast<std::int64_t>(depth), nullptr, 0, trace_kind::queue_depth};
    // The arrow's end sits inside the slice, so that viewers bind it to this slice whatever
    // order they read events of equal timestamps in.
    if (first_of != 0)
        records[n++] = {start + (end - start) / 2, static_cast<std::int64_t>(first_of), label.text, label.line,
                        trace_kind::first_poll};
    records[n++] = {start, end - start, label.text, label.line, trace_kind::slice};
    const std::size_t before = t.buffer.size();
    t.buffer.append(std::span(records.data(), n));
    if (depth_changed && t.buffer.size() != before) t.last_depth = depth;
}

void trace_recorder::record_spawn(std::size_t index, const root_state& r) noexcept {
    const task_label label = label_of(&r);
    const auto key = static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(&r));
    if (index != external) {
        // Inside the spawning poll, whose slice record_poll appends when the poll ends.
        const trace_record spawn{now(), key, label.text, label.line, trace_kind::spawn};
        tracks_[index].buffer.append(std::span(&spawn, 1));
        return;
    }
    std::lock_guard guard(external_lock_);
    // Slices on one track must not overlap: each starts after the previous one ended.
    const std::int64_t start = std::max(now(), external_end_);
    external_end_ = start + external_spawn_slice_ns;
    const std::array<trace_record, 2> records{
        trace_record{start, external_spawn_slice_ns, label.text, label.line, trace_kind::external_spawn},
        trace_record{start + external_spawn_slice_ns / 2, key, label.text, label.line, trace_kind::spawn}};
    external_.append(records);
}

// Replaces every flow record's key with its arrow's id (trace_recorder.hpp, "Flow ids"); a
// spawn whose task never ran, or whose other end was dropped, gets 0 and is left out.
void trace_recorder::pair_flows() noexcept {
    try {
        std::vector<trace_record*> flows;
        const auto collect = [&flows](trace_buffer& b) {
            for (std::size_t i = 0; i < b.size(); ++i)
                if (b[i].kind == trace_kind::spawn || b[i].kind == trace_kind::first_poll) flows.push_back(&b[i]);
        };
        for (std::size_t i = 0; i < workers_; ++i) collect(tracks_[i].buffer);
        collect(external_);
        // A spawn happens before its task's first poll; at equal times the spawn goes first.
        std::sort(flows.begin(), flows.end(), [](const trace_record* a, const trace_record* b) {
            return a->ts != b->ts ? a->ts < b->ts : a->kind == trace_kind::spawn && b->kind != trace_kind::spawn;
        });
        std::unordered_map<std::int64_t, trace_record*> open;  // key -> its latest unpaired spawn
        std::int64_t next_id = 1;
        for (trace_record* f : flows) {
            if (f->kind == trace_kind::spawn) {
                auto [it, inserted] = open.try_emplace(f->value, f);
                if (!inserted) {
                    it->second->value = 0;  // an earlier spawn of the key whose first poll was dropped
                    it->second = f;
                }
                continue;
            }
            const auto it = open.find(f->value);
            if (it == open.end()) {
                f->value = 0;
                continue;
            }
            it->second->value = next_id;
            f->value = next_id++;
            open.erase(it);
        }
        for (auto& [key, spawn] : open) spawn->value = 0;
    } catch (const std::bad_alloc&) {
        // No memory to pair them: the trace goes out without arrows.
        const auto unpair = [](trace_buffer& b) {
            for (std::size_t i = 0; i < b.size(); ++i)
                if (b[i].kind == trace_kind::spawn || b[i].kind == trace_kind::first_poll) b[i].value = 0;
        };
        for (std::size_t i = 0; i < workers_; ++i) unpair(tracks_[i].buffer);
        unpair(external_);
    }
}

void trace_recorder::write() noexcept {
    std::lock_guard guard(external_lock_);
    pair_flows();
    std::uint64_t dropped = external_.dropped();
    for (std::size_t i = 0; i < workers_; ++i) {
        const trace_buffer& b = tracks_[i].buffer;
        dropped += b.dropped();
        if (b.dropped() != 0)
            logger().warn("trace: worker {} stopped recording after {} events; {} later ones were dropped", i, b.size(),
                          b.dropped());
    }
    std::string error;
    try {
        std::vector<const trace_buffer*> tracks;
        for (std::size_t i = 0; i < workers_; ++i) tracks.push_back(&tracks_[i].buffer);
        tracks.push_back(&external_);
        error = write_chrome_trace(path_, tracks);
    } catch (const std::exception& e) {
        error = e.what();
    }
    if (!error.empty()) logger().error("could not write the trace to '{}': {}", path_, error);
    else logger().info("trace written to '{}' ({} events dropped)", path_, dropped);
}

}  // namespace weft::detail
