package hudson.model;

/** Compile-only stub of hudson.model.TopLevelItem from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public interface TopLevelItem extends Item {
}
