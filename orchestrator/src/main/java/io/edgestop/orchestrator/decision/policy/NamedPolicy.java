package io.edgestop.orchestrator.decision.policy;

/** A policy document as the user wrote it (JSON text) with the name audit records cite. */
public record NamedPolicy(String name, String document) {
}
