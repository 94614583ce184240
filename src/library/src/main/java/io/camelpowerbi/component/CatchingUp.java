package io.camelpowerbi.component;

/**
 * A polling consumer that says when it has caught up: its last poll read everything there was to read (the activity log
 * up to now minus the lag, a whole scanner run, every watched dataset's history), rather than stopping early on a 429,
 * a failed route or a stop. A job that runs until its routes' work is done (the runner) ends on it; a poll that
 * delivered nothing is not enough, as a throttled consumer delivers nothing and still has work.
 */
public interface CatchingUp {

    /** True between the end of a poll that caught up and the start of the next poll. */
    boolean isCaughtUp();
}
