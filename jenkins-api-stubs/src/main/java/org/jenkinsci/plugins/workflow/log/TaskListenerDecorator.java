package org.jenkinsci.plugins.workflow.log;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;

/** Compile-only stub of org.jenkinsci.plugins.workflow.log.TaskListenerDecorator from org.jenkins-ci.plugins.workflow:workflow-api 1413.v2ff1a_5e720fa_: only the signatures the plugin calls. */
public abstract class TaskListenerDecorator implements Serializable {
    private static final long serialVersionUID = 1L;

    public abstract OutputStream decorate(OutputStream logger) throws IOException, InterruptedException;

    public static TaskListenerDecorator merge(TaskListenerDecorator original, TaskListenerDecorator subsequent) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
