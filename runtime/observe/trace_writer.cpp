// The Chrome trace-event JSON that trace_recorder writes (what it shows: trace_recorder.hpp).
//
// The object form of the format ("JSON Object Format" in Google's Trace Event Format document):
//     {"displayTimeUnit": "ns",
//      "otherData": {"generator": "weft", "workers": N, "recorded_events": R,
//                    "dropped_events": D, "truncated": D != 0},
//      "traceEvents": [metadata, then each track's events]}
// Events, all in process 1; worker i is thread i, the external track thread N:
//     {"ph":"M","name":"thread_name","pid":1,"tid":i,"args":{"name":"weft-worker-i"}}
//     {"ph":"X","cat":"task","name":LABEL,"pid":1,"tid":i,"ts":T,"dur":D}
//     {"ph":"s","cat":"spawn","name":"spawn","id":K,"pid":1,"tid":i,"ts":T}
//     {"ph":"f","bp":"e","cat":"spawn","name":"spawn","id":K,"pid":1,"tid":j,"ts":T}
//     {"ph":"C","name":"weft-worker-i queue","pid":1,"tid":i,"ts":T,"args":{"depth":N}}
// Times are microseconds with three decimals (nanosecond resolution) since the runtime started.
// Viewers sort events by time, so each track is written in recording order.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "observe/trace_recorder.hpp"

namespace weft::detail {
namespace {

// Bytes formatted before they are handed to the file.
constexpr std::size_t flush_bytes = std::size_t{1} << 20;

void append_escaped(fmt::memory_buffer& out, std::string_view text) {
    for (const char c : text) {
        switch (c) {
            case '"': out.append(std::string_view("\\\"")); break;
            case '\\': out.append(std::string_view("\\\\")); break;
            case '\n': out.append(std::string_view("\\n")); break;
            case '\t': out.append(std::string_view("\\t")); break;
            default:
                if (static_cast<unsigned char>(c) < 0x20)
                    fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
                else
                    out.push_back(c);
        }
    }
}

// "label" as a JSON string, spelled as task_label's to_string.
void append_label(fmt::memory_buffer& out, const char* text, std::uint32_t line, std::string_view prefix = {}) {
    out.push_back('"');
    append_escaped(out, prefix);
    append_escaped(out, to_string(task_label{text, line}));
    out.push_back('"');
}

void append_time(fmt::memory_buffer& out, std::int64_t ns) {
    fmt::format_to(std::back_inserter(out), "{}.{:03}", ns / 1000, ns % 1000);
}

// One record as an event of thread `tid`, or nothing (an unpaired flow end).
void append_event(fmt::memory_buffer& out, const trace_record& r, std::size_t tid) {
    const auto head = [&](const char* ph) {
        fmt::format_to(std::back_inserter(out), ",\n{{\"ph\":\"{}\",\"pid\":1,\"tid\":{},\"ts\":", ph, tid);
    };
    switch (r.kind) {
        case trace_kind::slice:
        case trace_kind::external_spawn:
            head("X");
            append_time(out, r.ts);
            out.append(std::string_view(",\"dur\":"));
            append_time(out, r.value);
            out.append(std::string_view(",\"cat\":\"task\",\"name\":"));
            append_label(out, r.label, r.line, r.kind == trace_kind::external_spawn ? "spawn " : "");
            break;
        case trace_kind::spawn:
        case trace_kind::first_poll:
            if (r.value == 0) return;
            head(r.kind == trace_kind::spawn ? "s" : "f");
            append_time(out, r.ts);
            fmt::format_to(std::back_inserter(out), ",\"cat\":\"spawn\",\"name\":\"spawn\",\"id\":{}{}", r.value,
                           r.kind == trace_kind::first_poll ? ",\"bp\":\"e\"" : "");
            break;
        case trace_kind::queue_depth:
            head("C");
            append_time(out, r.ts);
            fmt::format_to(std::back_inserter(out), ",\"name\":\"weft-worker-{} queue\",\"args\":{{\"depth\":{}}}", tid,
                           r.value);
            break;
    }
    out.push_back('}');
}

void append_thread(fmt::memory_buffer& out, std::size_t tid, std::string_view name) {
    fmt::format_to(std::back_inserter(out),
                   ",\n{{\"ph\":\"M\",\"pid\":1,\"tid\":{0},\"name\":\"thread_name\",\"args\":{{\"name\":\"{1}\"}}}}"
                   ",\n{{\"ph\":\"M\",\"pid\":1,\"tid\":{0},\"name\":\"thread_sort_index\","
                   "\"args\":{{\"sort_index\":{0}}}}}",
                   tid, name);
}

struct file_closer {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};

}  // namespace

std::string write_chrome_trace(const std::string& path, std::span<const trace_buffer* const> tracks) {
    std::unique_ptr<std::FILE, file_closer> file(std::fopen(path.c_str(), "w"));
    if (!file) return std::strerror(errno);
    const std::size_t workers = tracks.size() - 1;
    std::uint64_t recorded = 0;
    std::uint64_t dropped = 0;
    for (const trace_buffer* t : tracks) {
        recorded += t->size();
        dropped += t->dropped();
    }
    fmt::memory_buffer out;
    const auto flush = [&] {
        if (out.size() != 0 && std::fwrite(out.data(), 1, out.size(), file.get()) != out.size()) return false;
        out.clear();
        return true;
    };
    fmt::format_to(std::back_inserter(out),
                   "{{\"displayTimeUnit\":\"ns\",\n\"otherData\":{{\"generator\":\"weft\",\"workers\":{},"
                   "\"recorded_events\":{},\"dropped_events\":{},\"truncated\":{}}},\n\"traceEvents\":[\n"
                   "{{\"ph\":\"M\",\"pid\":1,\"tid\":0,\"name\":\"process_name\",\"args\":{{\"name\":\"weft\"}}}}",
                   workers, recorded, dropped, dropped != 0);
    for (std::size_t tid = 0; tid < workers; ++tid) append_thread(out, tid, "weft-worker-" + std::to_string(tid));
    append_thread(out, workers, "external");
    for (std::size_t tid = 0; tid < tracks.size(); ++tid) {
        const trace_buffer& t = *tracks[tid];
        for (std::size_t i = 0; i < t.size(); ++i) {
            append_event(out, t[i], tid);
            if (out.size() >= flush_bytes && !flush()) return std::strerror(errno);
        }
    }
    out.append(std::string_view("\n]}\n"));
    if (!flush()) return std::strerror(errno);
    if (std::fclose(file.release()) != 0) return std::strerror(errno);
    return {};
}

}  // namespace weft::detail
