package dev.eyes.app;

import dev.eyes.alert.AlertManager;
import dev.eyes.analysis.AnalysisListener;
import dev.eyes.selfmon.AiFailureKind;
import dev.eyes.selfmon.AiMeters;
import dev.eyes.selfmon.AlertMeters;
import dev.eyes.store.AlertStatus;

/**
 * Feeds the analysis and alert stages' events to their meters ({@code eyes_ai_*}, {@code eyes_alerts_*},
 * {@code eyes_notifications_*}). Called on those stages' threads; only counts.
 */
final class StageMeters {
    private StageMeters() {
    }

    static AnalysisListener ai(AiMeters meters) {
        return new AnalysisListener() {
            @Override
            public void attemptEnded(long candidateId, String backend, long latencyNanos, String failureKind,
                                     int redactions) {
                meters.attempt(backend, latencyNanos, failureKind == null);
                if (failureKind != null) {
                    meters.failure(AiFailureKind.of(failureKind));
                }
                if (redactions > 0) {
                    meters.redactions(redactions);
                }
            }

            @Override
            public void retryDropped(long candidateId) {
                meters.failure(AiFailureKind.RETRY_QUEUE_FULL);
            }
        };
    }

    static AlertManager.Listener alerts(AlertMeters meters) {
        return new AlertManager.Listener() {
            @Override
            public void changed(long candidateId, AlertStatus status, String reason) {
                meters.alert(status.wireName());
            }

            @Override
            public void delivery(String notifier, boolean delivered) {
                meters.notification(notifier, delivered);
            }
        };
    }
}
