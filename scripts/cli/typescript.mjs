// Preloaded by every npm script: Node 22.18 and later run the workbook's TypeScript themselves; older Node needs tsx.
if (!process.features.typescript) await import('tsx');
