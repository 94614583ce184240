package io.camelpowerbi;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * The test class path minus some jars, over the JDK alone, so no class comes from the test's own class path: how an
 * application that leaves out an optional dependency of the library (Micrometer, BouncyCastle) sees it.
 */
public final class IsolatedClassLoader extends URLClassLoader {

    /** @param excluded parts of a class path entry's path (e.g. {@code "/org/bouncycastle/"}) that leave it out */
    public static IsolatedClassLoader without(String... excluded) {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : path.split(File.pathSeparator)) {
            String normalised = entry.replace(File.separatorChar, '/');
            boolean keep = !entry.isBlank();
            for (String x : excluded) {
                keep &= !normalised.contains(x);
            }
            if (keep) {
                try {
                    urls.add(new File(entry).toURI().toURL());
                } catch (MalformedURLException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return new IsolatedClassLoader(urls.toArray(URL[]::new));
    }

    private IsolatedClassLoader(URL[] urls) {
        super(urls, ClassLoader.getPlatformClassLoader());
    }

    /** The class of that name if this loader has loaded it, else null. */
    public Class<?> loaded(String name) {
        return findLoadedClass(name);
    }
}
