package testworker;

import tech.powerjob.worker.core.processor.ProcessResult;
import tech.powerjob.worker.core.processor.TaskContext;
import tech.powerjob.worker.core.processor.sdk.BasicProcessor;

/** Fails with a message that names the instance's params. */
public class Fail implements BasicProcessor {
    @Override
    public ProcessResult process(TaskContext context) {
        return new ProcessResult(false, "failed on purpose: " + context.getInstanceParams());
    }
}
