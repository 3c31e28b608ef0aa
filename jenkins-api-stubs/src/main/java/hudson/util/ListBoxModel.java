package hudson.util;

import java.util.ArrayList;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;

/** Compile-only stub of hudson.util.ListBoxModel from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public class ListBoxModel extends ArrayList<ListBoxModel.Option> implements HttpResponse {
    private static final long serialVersionUID = 1L;

    public ListBoxModel() {
    }

    public void add(String displayName, String value) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    @Override
    public void generateResponse(StaplerRequest2 req, StaplerResponse2 rsp, Object node) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static final class Option {
        public Option(String name, String value) {
            throw new UnsupportedOperationException("compile-only stub");
        }
    }
}
