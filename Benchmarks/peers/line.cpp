// The 5-station transfer line hand-written in C++: the baseline for `takt bench line`.
// Five single-machine stations in series, buffers of 5 waiting places between them,
// exponential processing times (means 1.0, 1.1, 1.2, 1.0, 0.9), raw material never short,
// blocking after service. std::priority_queue over (time, sequence), std::mt19937_64.
// Build: g++ -O2 -std=c++17 -o line line.cpp ; run: ./line PARTS
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
    int station;
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

constexpr int N = 5;
constexpr int CAPACITY = 5;
static const double MEANS[N] = {1.0, 1.1, 1.2, 1.0, 0.9};

struct Line {
    std::mt19937_64 rng{1};
    std::exponential_distribution<double> unit{1.0};
    std::priority_queue<Event, std::vector<Event>, RunsLater> calendar;
    std::uint64_t sequence = 0;
    double now = 0;
    int buffer[N] = {0};
    bool busy[N] = {false};
    bool blocked[N] = {false};
    std::uint64_t shipped = 0;

    void start(int i) {
        busy[i] = true;
        calendar.push({now + MEANS[i] * unit(rng), sequence++, i});
    }
    // Machine i has no part: take the next one, or go idle; either way room may appear.
    void freed(int i) {
        busy[i] = false;
        if (i == 0) { start(0); return; }
        if (buffer[i] > 0) {
            --buffer[i];
            start(i);
            if (blocked[i - 1]) { blocked[i - 1] = false; ++buffer[i]; freed(i - 1); }
        } else if (blocked[i - 1]) {
            blocked[i - 1] = false;
            start(i);
            freed(i - 1);
        }
    }
    void finished(int i) {
        if (i == N - 1) { ++shipped; freed(i); return; }
        if (!busy[i + 1]) { start(i + 1); freed(i); }
        else if (buffer[i + 1] < CAPACITY) { ++buffer[i + 1]; freed(i); }
        else { blocked[i] = true; }
    }
    void run(std::uint64_t events) {
        for (std::uint64_t k = 0; k < events; ++k) {
            Event e = calendar.top();
            calendar.pop();
            now = e.time;
            finished(e.station);
        }
    }
};

int main(int argc, char **argv) {
    const long parts = argc > 1 ? std::atol(argv[1]) : 2000000;
    const std::uint64_t events = (std::uint64_t)parts * N;
    Line line;
    line.start(0);
    line.run(events);  // warm-up, untimed, as `takt bench line` does
    std::uint64_t before = line.shipped;
    double start = cpu_seconds();
    line.run(events);
    double seconds = cpu_seconds() - start;
    std::uint64_t shipped = line.shipped - before;
    std::printf("5-station line (C++): %llu events, %llu parts\n", (unsigned long long)events, (unsigned long long)shipped);
    std::printf("cpu seconds: %.3f\n", seconds);
    std::printf("events/s: %.0f\n", events / seconds);
    std::printf("parts/s: %.0f\n", shipped / seconds);
    return 0;
}
