package org.kohsuke.stapler;

import jakarta.servlet.ServletException;
import java.io.IOException;

/** Compile-only stub of org.kohsuke.stapler.HttpResponse from org.kohsuke.stapler:stapler 2050.v425108fd5089 (as used by jenkins-core 2.541.3): only the signatures the plugin calls. */
public interface HttpResponse {
    void generateResponse(StaplerRequest2 req, StaplerResponse2 rsp, Object node) throws IOException, ServletException;
}
