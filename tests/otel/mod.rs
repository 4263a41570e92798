//! An OpenTelemetry SDK meter whose points the tests read back, through
//! the SDK's in-memory exporter.
#![allow(dead_code)]

use std::collections::BTreeMap;

use opentelemetry::metrics::{Meter, MeterProvider as _};
use opentelemetry_sdk::metrics::data::{AggregatedMetrics, MetricData};
use opentelemetry_sdk::metrics::{InMemoryMetricExporter, PeriodicReader, SdkMeterProvider};

/// A data point's attributes, by name, as text.
pub type Attributes = BTreeMap<String, String>;

/// One histogram point: its attributes, how many calls, their total seconds.
#[derive(Clone, Debug)]
pub struct Point {
    pub attributes: Attributes,
    pub count: u64,
    pub sum: f64,
}

pub struct Meters {
    provider: SdkMeterProvider,
    exporter: InMemoryMetricExporter,
}

impl Meters {
    pub fn new() -> Meters {
        let exporter = InMemoryMetricExporter::default();
        let provider = SdkMeterProvider::builder()
            .with_reader(PeriodicReader::builder(exporter.clone()).build())
            .build();
        Meters { provider, exporter }
    }

    pub fn meter(&self) -> Meter {
        self.provider.meter("chat-errors-tests")
    }

    /// Every point of the histogram `name` recorded so far, with its unit.
    pub fn histogram(&self, name: &str) -> (String, Vec<Point>) {
        self.provider.force_flush().expect("the SDK flushes");
        let exported = self
            .exporter
            .get_finished_metrics()
            .expect("metrics were exported");
        // Cumulative temporality: the last export holds everything so far.
        // Nothing recorded at all leaves nothing to export.
        let Some(last) = exported.last() else {
            return (String::new(), Vec::new());
        };
        for scope in last.scope_metrics() {
            for metric in scope.metrics() {
                if metric.name() != name {
                    continue;
                }
                let attributes =
                    |attributes: &mut dyn Iterator<Item = &opentelemetry::KeyValue>| {
                        attributes
                            .map(|kv| (kv.key.to_string(), kv.value.to_string()))
                            .collect()
                    };
                let points = match metric.data() {
                    AggregatedMetrics::F64(MetricData::Histogram(histogram)) => histogram
                        .data_points()
                        .map(|point| Point {
                            attributes: attributes(&mut point.attributes()),
                            count: point.count(),
                            sum: point.sum(),
                        })
                        .collect(),
                    // Counts such as gRFC A96's retries per call.
                    AggregatedMetrics::U64(MetricData::Histogram(histogram)) => histogram
                        .data_points()
                        .map(|point| Point {
                            attributes: attributes(&mut point.attributes()),
                            count: point.count(),
                            sum: point.sum() as f64,
                        })
                        .collect(),
                    other => panic!("{name} is not a histogram: {other:?}"),
                };
                return (metric.unit().to_owned(), points);
            }
        }
        (String::new(), Vec::new())
    }

    /// The points of `name`, which must be recorded in seconds.
    pub fn points(&self, name: &str) -> Vec<Point> {
        let (unit, points) = self.histogram(name);
        if !points.is_empty() {
            assert_eq!(unit, "s", "{name} is in seconds");
        }
        points
    }
}

/// Attributes from `(name, value)` pairs.
pub fn attributes(pairs: &[(&str, &str)]) -> Attributes {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// How many calls were recorded with exactly `wanted` as their attributes.
pub fn count_with(points: &[Point], wanted: &Attributes) -> u64 {
    points
        .iter()
        .filter(|point| &point.attributes == wanted)
        .map(|point| point.count)
        .sum()
}

pub fn total(points: &[Point]) -> u64 {
    points.iter().map(|point| point.count).sum()
}
