-- E1 (定向推送): a task goes to the implementing department in the subject's region; E5: withdrawn, when.
ALTER TABLE tasks ADD COLUMN region text;
ALTER TABLE tasks ADD COLUMN withdrawn_on date;
