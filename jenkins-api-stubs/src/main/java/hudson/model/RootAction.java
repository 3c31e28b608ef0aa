package hudson.model;

import hudson.ExtensionPoint;

/** Compile-only stub of hudson.model.RootAction from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public interface RootAction extends Action, ExtensionPoint {
}
