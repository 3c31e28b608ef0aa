package hudson.model;

/** Compile-only stub of hudson.model.Job from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends AbstractItem {
}
