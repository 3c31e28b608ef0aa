package org.kohsuke.stapler;

import jakarta.servlet.http.HttpServletRequest;

/** Compile-only stub of org.kohsuke.stapler.StaplerRequest2 from org.kohsuke.stapler:stapler 2050.v425108fd5089 (as used by jenkins-core 2.541.3): only the signatures the plugin calls. */
public interface StaplerRequest2 extends HttpServletRequest {
    String getRestOfPath();
}
