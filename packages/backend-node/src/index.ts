// Content arrives in a later issue; nothing is exported yet.
export {};
