package org.jenkinsci.plugins.plaincredentials;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import java.io.IOException;
import java.io.InputStream;

/** Compile-only stub of org.jenkinsci.plugins.plaincredentials.FileCredentials from org.jenkins-ci.plugins:plain-credentials 199.v9f8e1f741799: only the signatures the plugin calls. */
public interface FileCredentials extends StandardCredentials {
    String getFileName();

    InputStream getContent() throws IOException;
}
