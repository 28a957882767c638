#!/bin/sh
# serve_native_hist: serve_prometheus.sh with Prometheus's native histograms: the scraper asks
# for the protobuf exposition, stores the schema-4 native histogram netlat sends, and its
# quantile must be within the bound docs/metrics.md derives of netlat's own p50.
NL_SERVE_NATIVE=1
. "$NLROOT/tests/live/serve_prometheus.sh"
