package dev.meld.node.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts what the admin port refused, as {@code meld_admin_refused_total{reason}}: {@code origin}
 * (a browser's cross-site request), {@code unauthorized} (no or a wrong token), {@code disabled}
 * (a mutating request with no token configured), {@code media_type} (not JSON), {@code bad_body},
 * {@code connections} (over the connection cap), {@code timeout} (a request too slow to arrive).
 */
final class AdminRefusals {

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  AdminRefusals(MeterRegistry registry) {
    this.registry = registry;
  }

  void count(String reason) {
    counters
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder("meld.admin.refused")
                    .description("admin requests and connections refused, by reason")
                    .tag("reason", r)
                    .register(registry))
        .increment();
  }
}
