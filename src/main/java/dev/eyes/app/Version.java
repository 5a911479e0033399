package dev.eyes.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** The version from the build ({@code eyes-version.properties}). */
public final class Version implements CommandLine.IVersionProvider {
    public static String current() {
        try (InputStream in = Version.class.getClassLoader().getResourceAsStream("eyes-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"eyes " + current() + " (Java " + Runtime.version().feature() + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")"};
    }
}
