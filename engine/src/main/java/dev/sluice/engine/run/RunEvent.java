package dev.sluice.engine.run;

/** What can happen to a run. */
public enum RunEvent {
    START, SUCCEED, FAIL, CANCEL,
    /** its owner died mid-run: it ends FAILED with reason "interrupted" */
    INTERRUPT,
    /** retry of a FAILED or CANCELLED run */
    RESUME
}
