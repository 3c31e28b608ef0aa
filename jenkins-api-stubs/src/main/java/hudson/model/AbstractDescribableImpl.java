package hudson.model;

/**
 * Compile-only stub of hudson.model.AbstractDescribableImpl from org.jenkins-ci.main:jenkins-core 2.541.3, deprecated
 * there since 2.505: implement {@link Describable} directly.
 */
@Deprecated(since = "2.505")
public abstract class AbstractDescribableImpl<T extends AbstractDescribableImpl<T>> implements Describable<T> {
}
