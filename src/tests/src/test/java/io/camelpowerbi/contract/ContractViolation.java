package io.camelpowerbi.contract;

/**
 * One way an exchange breaks the contract.
 *
 * @param exchange  the exchange, as {@code source: METHOD path?query -> status}
 * @param operation the swagger's operationId, or {@code (no operation)} when the path or method is not in it
 * @param side      {@code request} (the component sent it) or {@code response} (the sandbox answered it)
 * @param rule      the validator's message key, e.g. {@code validation.response.body.schema.additionalProperties}
 * @param field     what broke it: a JSON pointer into the body ({@code /value/0/columns}; for a missing or undeclared
 *                  property, its pointer), a parameter name, a header, {@code path}, {@code body} or an undocumented
 *                  status
 * @param message   the validator's own words
 */
public record ContractViolation(
        String exchange, String operation, String side, String rule, String field, String message) {

    @Override
    public String toString() {
        return operation + " " + side + " " + field + ": " + message + " [" + rule + "] in " + exchange;
    }
}
