package io.hyperops.task.backup;

/** The hyperops version written into manifests: the jar's Implementation-Version, or "development" when run from classes. */
final class Version
{
    private Version() {}

    static String current()
    {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
