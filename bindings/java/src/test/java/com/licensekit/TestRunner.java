package com.licensekit;

import org.junit.runner.Description;
import org.junit.runner.JUnitCore;
import org.junit.runner.Result;
import org.junit.runner.notification.Failure;
import org.junit.runner.notification.RunListener;

/**
 * Runs the JUnit 4 tests and prints one line per test and a closing line
 * "N passed, N failed, N ignored" (the exit status is 1 when a test failed).
 */
public final class TestRunner {
    private TestRunner() {}

    public static void main(String[] args) {
        JUnitCore core = new JUnitCore();
        int[] failed = {0};
        core.addListener(new RunListener() {
            private boolean currentFailed;

            @Override
            public void testStarted(Description d) {
                currentFailed = false;
            }

            @Override
            public void testFailure(Failure f) {
                currentFailed = true;
                System.out.println("FAIL " + f.getDescription().getMethodName() + ": " + f.getMessage());
                System.out.println(f.getTrace());
            }

            @Override
            public void testIgnored(Description d) {
                System.out.println("IGNORED " + d.getMethodName());
            }

            @Override
            public void testFinished(Description d) {
                if (!currentFailed) {
                    System.out.println("ok   " + d.getMethodName());
                }
            }
        });
        Result r = core.run(LicenseKitTest.class);
        int passed = r.getRunCount() - r.getFailureCount();
        System.out.printf("%d passed, %d failed, %d ignored (%d ms)%n", passed, r.getFailureCount(),
            r.getIgnoreCount(), r.getRunTime());
        System.exit(r.wasSuccessful() ? 0 : 1);
    }
}
