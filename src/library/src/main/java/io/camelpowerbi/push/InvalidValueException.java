package io.camelpowerbi.push;

/**
 * One value does not fit its column. The message is a whole sentence naming the expected type and the fix. Checked,
 * so callers cannot forget the rejected-row path; without a stack trace, because bad rows are data, not bugs, and a
 * file full of them must not cost a stack walk per row.
 */
public final class InvalidValueException extends Exception {

    public InvalidValueException(String reason) {
        super(reason, null, false, false);
    }
}
