package testworker;

import tech.powerjob.worker.core.processor.ProcessResult;
import tech.powerjob.worker.core.processor.TaskContext;
import tech.powerjob.worker.core.processor.sdk.BasicProcessor;

/** Succeeds; its result is the instance's params (the job's params when there are none). */
public class Echo implements BasicProcessor {
    @Override
    public ProcessResult process(TaskContext context) {
        String params = context.getInstanceParams();
        if (params == null || params.isEmpty()) {
            params = context.getJobParams();
        }
        return new ProcessResult(true, params == null ? "" : params);
    }
}
