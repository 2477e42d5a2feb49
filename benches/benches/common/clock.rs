//! The clock the comparison benches measure with.
//!
//! Default: this thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`). The machines these
//! benches run on are shared: when other jobs take the cores, wall-clock samples grow by
//! whatever time the bench thread spent waiting, and a baseline and a candidate measured
//! a minute apart see different loads. CPU time counts only the cycles this thread ran,
//! so the ratios stay meaningful. `BENCH_CLOCK=wall` measures wall-clock time instead
//! (criterion's default), for a quiet machine.

use std::time::{Duration, Instant};

use cpu_time::ThreadTime;
use criterion::Criterion;
use criterion::measurement::{Measurement, ValueFormatter, WallTime};

/// Thread CPU time or wall-clock time, chosen by `BENCH_CLOCK`.
pub struct BenchClock {
    cpu: bool,
    wall: WallTime,
}

/// A start time on either clock.
pub enum Start {
    /// CPU time of the bench thread.
    Cpu(ThreadTime),
    /// Wall-clock time.
    Wall(Instant),
}

impl BenchClock {
    /// From the environment: `BENCH_CLOCK=wall` for wall-clock time, else thread CPU time.
    pub fn from_env() -> BenchClock {
        let wall = std::env::var("BENCH_CLOCK").is_ok_and(|v| v == "wall");
        if !wall {
            eprintln!("bench clock: thread CPU time (BENCH_CLOCK=wall for wall-clock time)");
        }
        BenchClock {
            cpu: !wall,
            wall: WallTime,
        }
    }
}

impl Measurement for BenchClock {
    type Intermediate = Start;
    type Value = Duration;

    fn start(&self) -> Start {
        if self.cpu {
            Start::Cpu(ThreadTime::now())
        } else {
            Start::Wall(Instant::now())
        }
    }

    fn end(&self, i: Start) -> Duration {
        match i {
            Start::Cpu(t) => t.elapsed(),
            Start::Wall(t) => t.elapsed(),
        }
    }

    fn add(&self, v1: &Duration, v2: &Duration) -> Duration {
        *v1 + *v2
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        self.wall.formatter()
    }
}

/// The criterion configuration of the comparison benches.
pub fn config() -> Criterion<BenchClock> {
    Criterion::default()
        .with_measurement(BenchClock::from_env())
        .sample_size(200)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(8))
        .configure_from_args()
}
