package dev.eyes.store;

/**
 * What {@link AlertStore#createAutoGroupRule} takes. Selectors are trimmed; blank means not set. At least one of
 * process, subsystem, triggerSource, triggeredBy is required, and a message regex (Java syntax; Rust/Python
 * {@code (?P<name>…)} groups are accepted too).
 */
public record AutoGroupRuleRequest(long targetAlertId, String process, String subsystem, String triggerSource,
                                   String triggeredBy, String messageRegex) {
}
