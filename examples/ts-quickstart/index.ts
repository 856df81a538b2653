import * as powerjob from "@pulumi-powerjob/powerjob";

const nightlyReport = new powerjob.Job("nightlyReport", {
    jobName: "ts-nightly-report",
    processorInfo: "com.example.NightlyReport",
    timeExpressionType: "CRON",
    timeExpression: "0 0 2 * * ?",
    jobParams: '{"format": "pdf"}',
});

const extract = new powerjob.Job("extract", {
    processorInfo: "com.example.Extract",
    timeExpressionType: "WORKFLOW",
});
const load = new powerjob.Job("load", {
    processorInfo: "com.example.Load",
    timeExpressionType: "WORKFLOW",
});

const etl = new powerjob.Workflow("etl", {
    timeExpressionType: "CRON",
    timeExpression: "0 0 1 * * ?",
    nodes: [
        { name: "extract", jobId: extract.jobId },
        { name: "load", jobId: load.jobId },
    ],
    edges: [{ fromNode: "extract", toNode: "load" }],
});

export const nightlyReportJobId = nightlyReport.jobId;
export const etlWorkflowId = etl.workflowId;
export const etlNodeIds = etl.nodeIds;
