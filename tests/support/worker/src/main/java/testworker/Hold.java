package testworker;

import tech.powerjob.worker.core.processor.ProcessResult;
import tech.powerjob.worker.core.processor.TaskContext;
import tech.powerjob.worker.core.processor.sdk.BasicProcessor;

/** Runs until it is stopped (the worker interrupts it), for at most ten minutes. */
public class Hold implements BasicProcessor {
    @Override
    public ProcessResult process(TaskContext context) {
        try {
            Thread.sleep(600_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProcessResult(false, "interrupted");
        }
        return new ProcessResult(true, "held for ten minutes");
    }
}
