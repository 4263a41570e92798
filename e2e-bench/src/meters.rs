//! An SDK meter that aggregates every recording into a pull reader, as a
//! Prometheus endpoint's reader does, so that the metered cases pay for
//! real aggregation; nothing collects from it during a run.

use opentelemetry::metrics::{Meter, MeterProvider as _};
use opentelemetry_sdk::metrics::{ManualReader, SdkMeterProvider};

pub struct Meters {
    provider: SdkMeterProvider,
}

impl Meters {
    pub fn new() -> Meters {
        Meters {
            provider: SdkMeterProvider::builder()
                .with_reader(ManualReader::builder().build())
                .build(),
        }
    }

    pub fn meter(&self) -> Meter {
        self.provider.meter("chat-errors-e2e-bench")
    }
}
