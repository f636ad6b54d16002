#pragma once
// weft_test::counted: an object that counts its constructions and destructions (after cppcoro's
// test helper of the same name), to prove that every object a task owns -- arguments, locals,
// results -- is destroyed exactly once, whether the task finished, failed, never started or was
// destroyed at shutdown.
//
//     weft_test::counted::reset();
//     weft::run(uses(weft_test::counted{}));
//     EXPECT_EQ(weft_test::counted::alive(), 0);
//
// The counters are static atomics, so tasks on any worker may create and destroy counted
// objects. Each object also carries a liveness mark that its destructor checks and clears: a
// second destruction of the same object is counted in `double_destructions` (a leak and a double
// destruction would otherwise cancel out in alive()).
#include <atomic>
#include <cstdint>

namespace weft_test {

class counted {
public:
    inline static std::atomic<long> default_constructions{0};
    inline static std::atomic<long> copy_constructions{0};
    inline static std::atomic<long> move_constructions{0};
    inline static std::atomic<long> destructions{0};
    inline static std::atomic<long> double_destructions{0};

    counted() noexcept : id_(default_constructions.fetch_add(1)) {}
    counted(const counted& other) noexcept : id_(other.id_) { copy_constructions.fetch_add(1); }
    counted(counted&& other) noexcept : id_(other.id_) { move_constructions.fetch_add(1); }
    counted& operator=(const counted&) = default;
    counted& operator=(counted&&) = default;
    ~counted() {
        if (mark_ != live_mark) double_destructions.fetch_add(1);
        mark_ = dead_mark;
        destructions.fetch_add(1);
    }

    // The number of the default construction this object descends from (copies share it).
    long id() const noexcept { return id_; }

    static long constructions() noexcept {
        return default_constructions.load() + copy_constructions.load() + move_constructions.load();
    }
    static long alive() noexcept { return constructions() - destructions.load(); }
    static void reset() noexcept {
        default_constructions = 0;
        copy_constructions = 0;
        move_constructions = 0;
        destructions = 0;
        double_destructions = 0;
    }

private:
    static constexpr std::uint32_t live_mark = 0xC0C0A11E;
    static constexpr std::uint32_t dead_mark = 0xDEADDEAD;

    long id_;
    volatile std::uint32_t mark_ = live_mark;
};

}  // namespace weft_test
