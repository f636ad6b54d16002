// The tests' JSON reader (support/json_reader.hpp): the trace tests rely on it being strict, so
// that "parses as JSON" means what a viewer would accept.
#include <gtest/gtest.h>

#include <string>

#include "support/json_reader.hpp"

namespace {

using weft_test::json_error;
using weft_test::parse_json;

TEST(json_reader, reads_every_kind_of_value) {
    const auto doc = parse_json(R"( {"a": [1, -2.5e3, 0.25, true, false, null], "b": {"c": "d"}, "e": []} )");
    const auto& a = doc["a"].items();
    ASSERT_EQ(a.size(), 6u);
    EXPECT_EQ(a[0].number(), 1.0);
    EXPECT_EQ(a[1].number(), -2500.0);
    EXPECT_EQ(a[2].number(), 0.25);
    EXPECT_TRUE(a[3].boolean());
    EXPECT_FALSE(a[4].boolean());
    EXPECT_TRUE(a[5].is_null());
    EXPECT_EQ(doc["b"]["c"].text(), "d");
    EXPECT_TRUE(doc["e"].items().empty());
    EXPECT_FALSE(doc.has("f"));
}

TEST(json_reader, decodes_escapes_including_surrogate_pairs) {
    EXPECT_EQ(parse_json(R"("q\"b\\s\/n\nt\t")").text(), "q\"b\\s/n\nt\t");
    EXPECT_EQ(parse_json(R"("\u00e9\ud83d\ude00")").text(), "\xc3\xa9\xf0\x9f\x98\x80");
}

TEST(json_reader, rejects_what_a_strict_parser_rejects) {
    for (const std::string bad : {"[1,]", "{'a': 1}", "01", "1.", "[1] x", "{\"a\" 1}", "\"\\ud800\"", "\"a\nb\"",
                                  "[", "{\"a\":}", "tru", "\"\\x\""})
        EXPECT_THROW(parse_json(bad), json_error) << bad;
}

TEST(json_reader, names_a_missing_member_or_a_wrong_type) {
    const auto doc = parse_json(R"({"n": 1})");
    EXPECT_THROW(doc["m"], json_error);
    EXPECT_THROW(doc["n"].text(), json_error);
}

}  // namespace
