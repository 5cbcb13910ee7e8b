// Placeholder webview entry; replaced by the dashboard.
export {};
