-- Temporal's account and its two databases, beside Jalur's own (made by the image from POSTGRES_DB).
CREATE ROLE temporal LOGIN PASSWORD 'temporal';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
