// render_speedup_svg: axes, grid, ideal line, one polyline per series, legend.
#include "svg_speedup_chart.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <set>

namespace weft::lab {
namespace {

constexpr double width = 760;
constexpr double height = 460;
constexpr double plot_left = 70;
constexpr double plot_right = 540;
constexpr double plot_top = 70;
constexpr double plot_bottom = 390;
constexpr double legend_left = 560;

constexpr std::array<const char*, 8> palette = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                                "#9467bd", "#8c564b", "#e377c2", "#17becf"};

std::string num(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", v);
    return text;
}

std::string escape_xml(const std::string& text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

// A tick step of 1, 2 or 5 times a power of ten giving at most about 8 ticks up to `top`.
double tick_step(double top) {
    const double raw = top / 8;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : {1.0, 2.0, 5.0})
        if (m * magnitude >= raw) return m * magnitude;
    return 10 * magnitude;
}

std::string tick_label(double v) {
    char text[32];
    std::snprintf(text, sizeof text, v == std::floor(v) ? "%.0f" : "%.1f", v);
    return text;
}

struct scale {
    double x_min;
    double x_max;
    double y_max;
    double x(double threads) const {
        return plot_left + (threads - x_min) / (x_max - x_min) * (plot_right - plot_left);
    }
    double y(double speedup) const { return plot_bottom - speedup / y_max * (plot_bottom - plot_top); }
};

void text(std::string& out, double x, double y, const std::string& s, const char* extra = "") {
    out += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\"" + extra + ">" + escape_xml(s) + "</text>\n";
}

void line(std::string& out, double x1, double y1, double x2, double y2, const char* style) {
    out += "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) + "\" " +
           style + "/>\n";
}

}  // namespace

std::string render_speedup_svg(const std::vector<speedup_series>& lines, const std::string& title,
                               const std::string& subtitle) {
    std::set<double> thread_ticks;
    double top_speedup = 0;
    for (const speedup_series& s : lines)
        for (const auto& [threads, speedup] : s.points) {
            thread_ticks.insert(threads);
            top_speedup = std::max(top_speedup, speedup);
        }
    if (thread_ticks.empty()) thread_ticks = {1, 2};
    const double fewest = *thread_ticks.begin();
    const double top_threads = std::max(*thread_ticks.rbegin(), fewest + 1);
    // The thread axis spans the measured counts with a margin of 5% on either side.
    const double margin = (top_threads - fewest) * 0.05;
    const double y_step = tick_step(std::max(top_threads, top_speedup));
    const scale sc{fewest - margin, top_threads + margin,
                   std::ceil(std::max(top_threads, top_speedup) / y_step) * y_step};

    std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" + num(height) +
                      "\" viewBox=\"0 0 " + num(width) + " " + num(height) +
                      "\" font-family=\"sans-serif\" font-size=\"12\">\n";
    out += "<rect x=\"0\" y=\"0\" width=\"" + num(width) + "\" height=\"" + num(height) + "\" fill=\"white\"/>\n";
    text(out, width / 2, 26, title, " text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\"");
    text(out, width / 2, 46, subtitle, " text-anchor=\"middle\" fill=\"#555\"");

    // Grid and ticks.
    for (double v = 0; v <= sc.y_max + y_step / 2; v += y_step) {
        line(out, plot_left, sc.y(v), plot_right, sc.y(v), "stroke=\"#e5e5e5\"");
        text(out, plot_left - 8, sc.y(v) + 4, tick_label(v), " text-anchor=\"end\"");
    }
    for (const double t : thread_ticks) {
        line(out, sc.x(t), plot_top, sc.x(t), plot_bottom, "stroke=\"#e5e5e5\"");
        text(out, sc.x(t), plot_bottom + 18, tick_label(t), " text-anchor=\"middle\"");
    }
    // Axes and their labels.
    line(out, plot_left, plot_bottom, plot_right, plot_bottom, "stroke=\"black\"");
    line(out, plot_left, plot_top, plot_left, plot_bottom, "stroke=\"black\"");
    text(out, (plot_left + plot_right) / 2, plot_bottom + 40, "threads", " text-anchor=\"middle\"");
    const std::string y_label_at = num(22) + " " + num((plot_top + plot_bottom) / 2);
    out += "<text x=\"22\" y=\"" + num((plot_top + plot_bottom) / 2) +
           "\" text-anchor=\"middle\" transform=\"rotate(-90 " + y_label_at + ")\">speedup over 1 thread</text>\n";

    // The ideal: speedup = threads, from the fewest threads measured to the most.
    line(out, sc.x(fewest), sc.y(fewest), sc.x(top_threads), sc.y(top_threads),
         "stroke=\"#888\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"");

    // The series, and the legend.
    double legend_y = plot_top + 10;
    line(out, legend_left, legend_y, legend_left + 24, legend_y,
         "stroke=\"#888\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"");
    text(out, legend_left + 32, legend_y + 4, "ideal (speedup = threads)");
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string colour = palette[i % palette.size()];
        std::vector<std::pair<double, double>> points = lines[i].points;
        std::sort(points.begin(), points.end());
        std::string coordinates;
        for (const auto& [threads, speedup] : points)
            coordinates += (coordinates.empty() ? "" : " ") + num(sc.x(threads)) + "," + num(sc.y(speedup));
        out +=
            "<polyline fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"2\" points=\"" + coordinates + "\"/>\n";
        for (const auto& [threads, speedup] : points)
            out += "<circle cx=\"" + num(sc.x(threads)) + "\" cy=\"" + num(sc.y(speedup)) + "\" r=\"3.5\" fill=\"" +
                   colour + "\"/>\n";
        legend_y += 22;
        line(out, legend_left, legend_y, legend_left + 24, legend_y,
             ("stroke=\"" + colour + "\" stroke-width=\"2\"").c_str());
        text(out, legend_left + 32, legend_y + 4, lines[i].name);
    }
    out += "</svg>\n";
    return out;
}

std::string speedup_chart_svg(const sweep_result& r) {
    const std::string title = r.workload + (r.sizes.entries().empty() ? "" : " " + r.sizes.as_flags()) +
                              ": speedup over 1 thread (median of " + std::to_string(r.repeat) + ")";
    const std::string subtitle = r.machine.cpu_model + ", " + std::to_string(r.machine.hardware_concurrency) +
                                 " hardware threads, " + r.machine.compiler + ", weft " + r.machine.weft_version;
    return render_speedup_svg(speedup_lines(r, compute_metrics(r)), title, subtitle);
}

}  // namespace weft::lab
