"""The follow-up of a roundtable: its minutes (revisions, clearance, Chatham House) and the action
items agreed there. Routes attach to the roundtables blueprint."""
