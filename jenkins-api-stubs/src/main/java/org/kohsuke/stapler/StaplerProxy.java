package org.kohsuke.stapler;

/**
 * Compile-only stub of org.kohsuke.stapler.StaplerProxy from org.kohsuke.stapler:stapler 2050.v425108fd5089 (as used by
 * jenkins-core 2.541.3): Stapler dispatches every request for the object, its views included, to {@link #getTarget()}.
 */
public interface StaplerProxy {
    Object getTarget();
}
