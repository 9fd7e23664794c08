package io.sluice.normalize;

/** A record would change the schema where the contract freezes it; nothing of the run is loaded. */
public final class ContractViolationException extends RuntimeException {
    public ContractViolationException(String message) {
        super(message);
    }
}
