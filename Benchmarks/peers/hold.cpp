// Hold model (Vaucher & Duval 1975; Jones 1986) in C++: the baseline Takt is measured against.
// std::priority_queue over (time, sequence) -- the same total order Takt uses -- with
// std::mt19937_64 and std::exponential_distribution. Prints events per CPU-second last.
// Build: g++ -O2 -std=c++17 -o hold hold.cpp ; run: ./hold PENDING EVENTS
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <queue>
#include <random>
#include <vector>

struct Event {
    double time;
    std::uint64_t sequence;
    std::uint32_t job;
};

struct RunsLater {
    bool operator()(const Event &a, const Event &b) const {
        return a.time > b.time || (a.time == b.time && a.sequence > b.sequence);
    }
};

static double cpu_seconds() {
    timespec spec;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec);
    return spec.tv_sec + spec.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    const long pending = argc > 1 ? std::atol(argv[1]) : 10000;
    const long events = argc > 2 ? std::atol(argv[2]) : 10000000;
    std::mt19937_64 rng(1);
    std::exponential_distribution<double> hold(1.0);
    std::vector<Event> storage;
    storage.reserve(pending + 1);
    std::priority_queue<Event, std::vector<Event>, RunsLater> calendar(RunsLater(), std::move(storage));
    std::uint64_t sequence = 0;
    for (long i = 0; i < pending; ++i) calendar.push({hold(rng), sequence++, (std::uint32_t)i});
    auto step = [&](long count) {
        for (long i = 0; i < count; ++i) {
            Event e = calendar.top();
            calendar.pop();
            calendar.push({e.time + hold(rng), sequence++, e.job});
        }
    };
    step(events);  // warm-up, untimed, as `takt bench hold` does
    double start = cpu_seconds();
    step(events);
    double seconds = cpu_seconds() - start;
    std::printf("hold model (C++): %ld pending, %ld events\n", pending, events);
    std::printf("cpu seconds: %.3f\n", seconds);
    std::printf("events/s: %.0f\n", events / seconds);
    return 0;
}
