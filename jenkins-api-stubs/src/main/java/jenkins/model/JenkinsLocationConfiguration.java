package jenkins.model;

/**
 * Compile-only stub of jenkins.model.JenkinsLocationConfiguration from org.jenkins-ci.main:jenkins-core 2.541.3: only
 * the signatures the plugin calls. Unlike {@code Jenkins.getRootUrl()}, {@link #getUrl()} never falls back to the
 * current request's headers.
 */
public class JenkinsLocationConfiguration extends GlobalConfiguration {
    public static JenkinsLocationConfiguration get() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    /** The Jenkins URL of Manage Jenkins › System, or {@code null} when none is set. */
    public String getUrl() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
