// weft-lab's speedup chart: a well-formed, self-contained SVG with one polyline per series.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lab/svg_speedup_chart.hpp"

namespace {

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

// True if every element is closed in order (self-closing ones included): enough of XML's
// well-formedness to catch a broken writer.
bool tags_balance(const std::string& svg) {
    std::vector<std::string> open;
    for (std::size_t at = svg.find('<'); at != std::string::npos; at = svg.find('<', at + 1)) {
        const std::size_t end = svg.find('>', at);
        if (end == std::string::npos) return false;
        const std::string tag = svg.substr(at + 1, end - at - 1);
        if (tag.empty()) return false;
        if (tag.back() == '/') continue;
        const std::string name =
            tag.substr(tag[0] == '/' ? 1 : 0, tag.find_first_of(" \n", 0) - (tag[0] == '/' ? 1 : 0));
        if (tag[0] != '/') {
            open.push_back(name);
        } else {
            if (open.empty() || open.back() != name) return false;
            open.pop_back();
        }
    }
    return open.empty();
}

TEST(lab_svg, is_a_well_formed_self_contained_svg_with_one_polyline_per_series) {
    const std::vector<weft::lab::speedup_series> lines = {
        {"work_stealing", {{1, 1.0}, {2, 1.9}, {4, 3.5}}},
        {"global_queue", {{1, 1.0}, {2, 1.2}, {4, 1.1}}},
        {"tbb baseline", {{1, 1.0}, {2, 1.95}, {4, 3.8}}},
    };
    const std::string svg = weft::lab::render_speedup_svg(lines, "fib --n 30", "a machine");
    EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
    EXPECT_TRUE(svg.ends_with("</svg>\n"));
    EXPECT_TRUE(tags_balance(svg)) << svg;
    EXPECT_EQ(count(svg, "<polyline"), lines.size());
    EXPECT_EQ(count(svg, "<circle"), 9u);
    EXPECT_EQ(count(svg, "stroke-dasharray"), 2u);  // the ideal line and its legend entry
    for (const auto& s : lines) EXPECT_NE(svg.find(">" + s.name + "</text>"), std::string::npos) << s.name;
    EXPECT_EQ(svg.find("href"), std::string::npos);  // nothing external
    EXPECT_EQ(svg.find("<script"), std::string::npos);
}

TEST(lab_svg, escapes_text) {
    const std::string svg = weft::lab::render_speedup_svg({{"a<b & \"c\"", {{1, 1.0}}}}, "x > y", "");
    EXPECT_NE(svg.find("a&lt;b &amp; &quot;c&quot;"), std::string::npos);
    EXPECT_NE(svg.find("x &gt; y"), std::string::npos);
    EXPECT_TRUE(tags_balance(svg));
}

TEST(lab_svg, charts_a_sweep_with_a_line_per_policy_and_for_the_tbb_baseline) {
    weft::lab::sweep_result r;
    r.workload = "fib";
    r.repeat = 1;
    for (const char* policy : {"work_stealing", "global_queue"})
        for (std::size_t t : {1, 2})
            r.rows.push_back({weft::lab::series_kind::weft, policy, t, {{0.01 / static_cast<double>(t), {}}}, {}});
    r.rows.push_back({weft::lab::series_kind::baseline, "serial", 1, {{0.001, {}}}, {}});
    for (std::size_t t : {1, 2}) r.rows.push_back({weft::lab::series_kind::baseline, "tbb", t, {{0.02, {}}}, {}});
    const std::string svg = weft::lab::speedup_chart_svg(r);
    EXPECT_EQ(count(svg, "<polyline"), 3u);  // two policies and tbb; the serial baseline has no speedup
    EXPECT_NE(svg.find(">tbb baseline</text>"), std::string::npos);
    EXPECT_EQ(svg.find(">serial baseline</text>"), std::string::npos);
    EXPECT_TRUE(tags_balance(svg));
}

}  // namespace
