/**
 * Browser tests of the designer: a real server on a free port, driven in headless Chromium through
 * Selenium ({@link dev.sluice.engine.browser.Browser}); each test saves a screenshot under
 * {@code target/screenshots/}.
 */
package dev.sluice.engine.browser;
